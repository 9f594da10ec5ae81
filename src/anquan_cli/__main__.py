from anquan_cli.entry import main

main()
