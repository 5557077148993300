"""The adapters: HTTP and socket.io transport, the event store, the command line."""
