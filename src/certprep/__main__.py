from certprep.cli import main

main()
