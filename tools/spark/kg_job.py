"""spark-submit launcher for the Spark build (spark-submit wants a file; the job itself is
kg.spark.job, installed with the wheel):

    spark-submit [--archives kgenv.tar.gz#kgenv ...] tools/spark/kg_job.py INPUT... --out DIR
"""

import sys

from kg.spark.job import main

if __name__ == "__main__":
    sys.exit(main())
