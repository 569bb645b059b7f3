from loclint.cli import main

main()
