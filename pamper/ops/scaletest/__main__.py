import sys

from pamper.ops.scaletest.run import main

sys.exit(main())
