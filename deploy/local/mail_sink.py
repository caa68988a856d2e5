"""A mail relay for the local stack only: accepts SMTP on 127.0.0.1 and writes each message
to a file (``var/prod/mail/*.eml``) instead of delivering it.

`make prod` runs it so the application talks SMTP exactly as in production (EMAIL_HOST is
set, `check --deploy` passes, the worker's mail tasks really send) while no mail leaves the
machine; the smoke test reads the confirmation it wrote. Never for a real server.
Standard library only (asyncio): ``python deploy/local/mail_sink.py --port 8125 --dir DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
from pathlib import Path

_counter = itertools.count(1)


async def _session(reader, writer, folder: Path) -> None:
    async def reply(line: str) -> None:
        writer.write(line.encode() + b"\r\n")
        await writer.drain()

    await reply("220 localhost vocations-mail-sink")
    recipients: list[str] = []
    while line := await reader.readline():
        command = line.decode("utf-8", "replace").strip()
        verb = command[:4].upper()
        if verb == "EHLO":
            await reply("250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8")
        elif verb == "HELO":
            await reply("250 localhost")
        elif verb == "MAIL":
            recipients = []
            await reply("250 OK")
        elif verb == "RCPT":
            recipients.append(command.partition(":")[2].strip())
            await reply("250 OK")
        elif verb == "DATA":
            await reply("354 End data with <CR><LF>.<CR><LF>")
            body = bytearray()
            while (chunk := await reader.readline()) not in (b".\r\n", b".\n", b""):
                body += chunk[1:] if chunk.startswith(b"..") else chunk
            name = f"{time.time_ns()}-{next(_counter)}.eml"
            header = "".join(f"X-Sink-Recipient: {r}\r\n" for r in recipients).encode()
            (folder / name).write_bytes(header + bytes(body))
            await reply("250 OK: queued")
        elif verb == "QUIT":
            await reply("221 Bye")
            break
        elif verb in ("RSET", "NOOP"):
            recipients = [] if verb == "RSET" else recipients
            await reply("250 OK")
        else:
            await reply("502 Command not implemented")
    writer.close()


async def serve(port: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    server = await asyncio.start_server(
        lambda r, w: _session(r, w, folder), host="127.0.0.1", port=port
    )
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.dir))


if __name__ == "__main__":
    main()
