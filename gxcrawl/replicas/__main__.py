import sys

from .farm import main

sys.exit(main())
