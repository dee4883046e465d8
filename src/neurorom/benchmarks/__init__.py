"""One module per `./neurorom bench NAME`, each with main(argv) -> int."""
