from troubledocs.cli import main

raise SystemExit(main())
