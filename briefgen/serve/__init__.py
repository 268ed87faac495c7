"""The live preview: `briefgen serve` hosts the build engine (briefgen/engine/), serves the last
complete build and rebuilds on change. It builds nothing itself: every build, full or in place,
is the engine's.

Modules, one job each:

    changes.py     a changed path -> its kind, and a batch of changes -> what must be rebuilt
    debounce.py    bursts of changes -> one rebuild; a change during a rebuild -> exactly one more
    watcher.py     watchdog on content/, themes/, static/ and briefgen.yaml; polling fallback
    rebuild.py     the Rebuilder interface and the full rebuild through build()
    live.py        the rebuilder that keeps the engine's run in memory and edits it in place
    worker.py      the build process: the rebuilds run in a child that does nothing else
    folders.py     staged files of an in-place rebuild moved into the served build
    epochs.py      one folder per successful build; requests hold the one they started on
    preview.py     the state the server shows: last good epoch, last failure, live-reload decisions
    paths.py       request-target -> file in the build, decoded once, contained, no escapes
    http.py        the HTTP server and request handler
    livereload.py  the Server-Sent Events channel and the script injected into HTML responses
    overlay.py     the error overlay shown over the last good page while the build is broken
    app.py         wiring for `briefgen serve`: port, threads, messages, Ctrl-C
"""
