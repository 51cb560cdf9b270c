import sys

from gxcrawl.replicas.farm import main

sys.exit(main())
