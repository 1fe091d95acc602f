from vinr_qual.cli import main

main()
