"""The rule-data snapshot: used only when it is this user's and made from the same files."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from loclint import snapshot
from loclint.signing import EntrySigner, key_path

# A fresh process reads the rule data; it prints whether YAML had to be imported for it.
READS_RULES = (
    "import sys; from loclint.registry import load_data_file;"
    "assert load_data_file('patterns.yaml')['email'];"
    "print('yaml' in sys.modules)"
)


def _reads_yaml() -> bool:
    result = subprocess.run([sys.executable, "-c", READS_RULES], capture_output=True, text=True, check=True,
                            env=os.environ.copy())
    return result.stdout.strip() == "True"


def _make_key() -> None:
    assert EntrySigner.for_user().usable  # what a cached run does first


def test_no_snapshot_is_written_before_the_user_has_a_key():
    assert not key_path().exists()
    assert _reads_yaml()
    assert not key_path().parent.exists()  # nothing created outside the tree


def test_the_second_run_reads_the_snapshot_not_the_yaml():
    _make_key()
    assert _reads_yaml()  # loads the files and writes the snapshot
    assert len(list(key_path().parent.glob("rules-data-*.pickle"))) == 1
    assert not _reads_yaml()


def test_a_snapshot_not_signed_by_this_user_is_ignored(tmp_path):
    _make_key()
    stamp = snapshot.stamp([Path(__file__)])
    forged = pickle.dumps({"patterns.yaml": {"email": "forged"}})
    path = key_path().parent / "forged.pickle"
    path.write_bytes(b"\0" * EntrySigner.TAG_SIZE + stamp + forged)
    assert snapshot.load("forged", stamp) is None
    snapshot.save("forged", stamp, {"patterns.yaml": {"email": "ours"}})
    assert snapshot.load("forged", stamp) == {"patterns.yaml": {"email": "ours"}}


def test_a_snapshot_of_other_files_or_of_classes_is_not_used(tmp_path):
    _make_key()
    data_file = tmp_path / "a.yaml"
    data_file.write_text("a: 1\n")
    stamp = snapshot.stamp([data_file])
    snapshot.save("rules-test", stamp, {"a": 1})
    assert snapshot.load("rules-test", stamp) == {"a": 1}
    os.utime(data_file, ns=(1, 1))  # the file changed since: another stamp
    assert snapshot.load("rules-test", snapshot.stamp([data_file])) is None
    snapshot.save("classes", stamp, {"a": Path("/")})  # not plain data: never written
    assert not (key_path().parent / "classes.pickle").exists()
