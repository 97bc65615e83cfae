"""A tiny real SMTP server in a thread: accepts mail, refuses recipients containing "rebota"."""

from __future__ import annotations

import socket
import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        self.wfile.write(b"220 prueba ESMTP\r\n")
        rcpt: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            upper = command.upper()
            if upper.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 prueba\r\n")
            elif upper.startswith("MAIL FROM"):
                rcpt = []
                self.wfile.write(b"250 OK\r\n")
            elif upper.startswith("RCPT TO"):
                if "rebota" in command.lower():
                    self.wfile.write(b"550 5.1.1 buzon inexistente\r\n")
                else:
                    rcpt.append(command.split(":", 1)[1].strip(" <>"))
                    self.wfile.write(b"250 OK\r\n")
            elif upper == "DATA":
                self.wfile.write(b"354 adelante\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                server.received.append((rcpt, b"".join(data).decode("utf-8", "replace")))
                self.wfile.write(b"250 OK\r\n")
            elif upper == "QUIT":
                self.wfile.write(b"221 adios\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[tuple[list[str], str]] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.socket.getsockname()[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
