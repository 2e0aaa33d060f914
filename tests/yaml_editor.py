"""VS Code's YAML editor, driven as VS Code drives it: yaml-language-server over stdio.

The Red Hat YAML extension for VS Code runs yaml-language-server (installed by
`make yaml-language-server` under .venv) and sends it the workspace's settings from
.vscode/settings.json. This client does the same, opens documents and collects the
diagnostics the server publishes for each, so that tests can compare what an author sees
in the editor with what `sarflow check` reports.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / ".venv/yaml-language-server/node_modules/yaml-language-server/bin/yaml-language-server"
WAIT_SECONDS = 60  # a bound for a slow machine, not a measure: nothing here is timed
ERROR, WARNING = 1, 2  # LSP's DiagnosticSeverity


@dataclass(frozen=True)
class Diagnostic:
    line: int  # 1-based, as sarflow names lines
    column: int
    severity: int
    message: str

    def __str__(self) -> str:
        kind = "error" if self.severity == ERROR else "warning"
        return f"{self.line}:{self.column}: {kind}: {self.message}"


def workspace_settings(root: Path = ROOT) -> dict[str, Any]:
    """The `yaml.*` settings of .vscode/settings.json, as the extension sends them to the server."""
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    yaml: dict[str, Any] = {}
    for key, value in settings.items():
        if key.startswith("yaml."):
            yaml[key[len("yaml."):]] = value
    # the extension's defaults for what the workspace does not set
    return {"yaml": {"validate": True, "hover": True, "completion": True, "format": {"enable": False}} | yaml}


class YamlLanguageServer:
    """One running server for a workspace folder; documents are opened by path and text."""

    def __init__(self, root: Path) -> None:
        node = shutil.which("node")
        if node is None or not SERVER.is_file():
            pytest.skip("yaml-language-server is not installed: run `make yaml-language-server` (node and the npm package)")
        self.root = root
        self.process = subprocess.Popen(
            [node, str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.buffer = b""
        self.published: dict[str, list[Diagnostic]] = {}
        self.responses: dict[int, Any] = {}
        self.request("initialize", {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"textDocument": {"publishDiagnostics": {}, "completion": {"completionItem": {"snippetSupport": True}}}},
        })
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": workspace_settings(root)})
        self.versions: dict[str, int] = {}

    # the protocol: JSON-RPC messages with a Content-Length header
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        ident = self.next_id
        self._send({"id": ident, "method": method, "params": params})
        self._read_until(lambda: ident in self.responses)
        return self.responses.pop(ident)

    def _read_one(self, deadline: float) -> bool:
        """Read and handle one message; False if none came before the deadline."""
        assert self.process.stdout is not None
        while b"\r\n\r\n" not in self.buffer or len(self.buffer) < self._wanted():
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.process.stdout], [], [], left)[0]:
                return False
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise RuntimeError("yaml-language-server stopped")
            self.buffer += chunk
        header, rest = self.buffer.split(b"\r\n\r\n", 1)
        length = self._length(header)
        body, self.buffer = rest[:length], rest[length:]
        self._handle(json.loads(body))
        return True

    @staticmethod
    def _length(header: bytes) -> int:
        for line in header.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                return int(value)
        raise RuntimeError(f"no Content-Length in {header!r}")

    def _wanted(self) -> int:
        if b"\r\n\r\n" not in self.buffer:
            return 1 << 62
        header = self.buffer.split(b"\r\n\r\n", 1)[0]
        return len(header) + 4 + self._length(header)

    def _handle(self, message: dict[str, Any]) -> None:
        if "id" in message and "method" in message:  # a request from the server: configuration, registrations
            result: Any = None
            if message["method"] == "workspace/configuration":
                result = [workspace_settings(self.root).get(i.get("section", ""), None) for i in message["params"]["items"]]
            self._send({"id": message["id"], "result": result})
        elif "id" in message:
            if "error" in message:
                raise RuntimeError(f"yaml-language-server refused a request: {message['error']}")
            self.responses[message["id"]] = message.get("result")
        elif message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            self.published[params["uri"]] = [
                Diagnostic(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1, d.get("severity", ERROR), d["message"])
                for d in params["diagnostics"]
            ]

    def _read_until(self, done: Any, wait: float = WAIT_SECONDS) -> None:
        deadline = time.monotonic() + wait
        while not done():
            if not self._read_one(deadline):
                raise TimeoutError("yaml-language-server did not answer")

    def diagnose(self, documents: dict[Path, str]) -> dict[Path, list[Diagnostic]]:
        """Open each document (a path under the workspace, which need not exist, and its text); what the editor shows for each."""
        uris = {path: path.as_uri() for path in documents}
        for path, text in documents.items():
            uri = uris[path]
            self.published.pop(uri, None)
            version = self.versions.get(uri, 0) + 1
            self.versions[uri] = version
            if version > 1:
                self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}})
        self._read_until(lambda: all(uri in self.published for uri in uris.values()))
        return {path: sorted(self.published[uri], key=lambda d: (d.line, d.column)) for path, uri in uris.items()}

    def complete(self, path: Path, line: int, character: int) -> list[str]:
        """What the editor would insert at (0-based) `line` and `character` of an open document, as you type."""
        result = self.request("textDocument/completion", {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}})
        items = result.get("items", []) if isinstance(result, dict) else result or []
        return [(item.get("textEdit") or {}).get("newText") or item.get("insertText") or item["label"] for item in items]

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except (OSError, RuntimeError, TimeoutError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


@contextmanager
def yaml_language_server(root: Path = ROOT) -> Iterator[YamlLanguageServer]:
    server = YamlLanguageServer(root)
    try:
        yield server
    finally:
        server.close()
