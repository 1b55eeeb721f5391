"""Tutorial glue between the network and the engine: job and solution text, data shards.

``amlip_py`` carries strings only and ``aml_engine`` never sees the network; this package turns a
shard of MNIST (with its target digit and training settings) into the tutorial's job text, and a
learned model into solution text, and back.
"""
