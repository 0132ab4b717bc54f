from mailwizard.cli import main

main()
