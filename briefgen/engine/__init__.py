"""The build engine that `briefgen build` and `briefgen serve` both run.

Modules, one job each:

    steps.py     the build as named, timed steps (Engine), and build()
    options.py   what a build is asked to do (BuildOptions) and reports (BuildResult)
    run.py       running output jobs: skip the unchanged, make the rest in parallel, stage files
    kept.py      a full run kept in memory (Session): the model, jobs, digests, dependency index
    shapes.py    a briefing's shape: every field but its content, as one digest
    depends.py   which jobs' keys were made from which memoised digests
    edits.py     edits in place: changed briefings updated in the kept model, jobs chosen by digest
    rerender.py  rendering an in-place edit's jobs, shared with the replica
    replica.py   a forked copy of the kept run that renders half of large in-place edits
    resume.py    what an output folder already holds, and a copy of one with its state
    record.py    what a build that published records in its state for the builds after it
    snapshot.py  the site model a whole build keeps on disk, and when it still applies
    quick.py     an edit build made in place: the kept model loaded, edits applied as in serve

The hosts: `briefgen build` (cli.py through build.py) runs the steps with the state on disk
(cache.py) and publishes atomically (output.py), and after an edit of briefings' content only,
loads the model the last whole build kept and edits it in place (quick.py); the preview
(serve/live.py) runs them with keep=True and then edits its Session in memory. Nothing here
imports from serve/.
"""
