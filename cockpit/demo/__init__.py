"""The demo company: its synthetic operations (synth) and the exports its departments send
(exports), seeded through the same ingest as any upload."""

from cockpit.demo.exports import (
    DEMO_DIR,
    DEMO_FILES,
    demo_uploads,
    seed_demo,
    write_demo_files,
)

__all__ = ["DEMO_DIR", "DEMO_FILES", "demo_uploads", "seed_demo", "write_demo_files"]
