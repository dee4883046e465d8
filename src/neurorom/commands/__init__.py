"""One module per `./neurorom` command, each with main(argv) -> int."""
