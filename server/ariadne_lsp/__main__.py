"""``python -m ariadne_lsp`` is ``ariadne-lsp``."""

from __future__ import annotations

import sys

from ariadne_lsp.cli import main

sys.exit(main())
