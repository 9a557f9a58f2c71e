from bqw.cli.app import main

main()
