#!/usr/bin/env python
from pamper.cli import main

if __name__ == "__main__":
    main()
