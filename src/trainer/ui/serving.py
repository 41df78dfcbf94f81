"""Serving the app: what `make run` and `make run-lan` print at start (the address, the first
admin's one-time link, a QR code for a phone) and the LAN's self-signed certificate.

`python -m trainer.ui.serving cert FOLDER` makes FOLDER/cert.pem and FOLDER/key.pem once (kept
after), for `make run-lan`; a school's own files can take their place. `python -m
trainer.ui.serving address LISTEN` prints the address a server listening on LISTEN is reached
at, which `make run-lan` gives Streamlit as browser.serverAddress: Streamlit prints that URL,
not localhost's, and (told one) never asks a public service for this machine's address.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import sys
from pathlib import Path

import segno
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from streamlit import config

from trainer.ui.login_routes import logins

CERT_DAYS = 825  # the longest a browser accepts for a server certificate


def base_url() -> str:
    """The address to open: the host the server listens on (this machine's LAN address when
    it listens on all of them), https when it has a certificate."""
    host = reached_at(config.get_option("server.address") or "127.0.0.1")
    scheme = "https" if config.get_option("server.sslCertFile") else "http"
    return f"{scheme}://{host}:{config.get_option('server.port')}"


def reached_at(listen: str) -> str:
    """The address of a server listening on listen: itself, or this machine's LAN address
    when it listens on all of them."""
    return lan_address() if listen in ("0.0.0.0", "::") else listen


def lan_address() -> str:
    """This machine's address on its network, from its own name (nothing is sent anywhere)."""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    except OSError:
        found = set()
    usable = sorted(a for a in found if ":" not in a and not a.startswith("127."))
    return usable[0] if usable else "127.0.0.1"


def announce() -> None:
    """Print where the app is and, while there is no admin, the one-time link that makes one."""
    url = base_url()
    print(f"\n  The trainer: {url}", flush=True)
    token = logins().first_admin_link()
    if token is not None:
        print(
            "  No admin yet. Open this one-time link to create yours (it is good once):\n"
            f"  {url}/account/setup?t={token}\n",
            flush=True,
        )
    if url.startswith("https://") and "127.0.0.1" not in url:
        print("  A phone on the same network can open it from this code:\n", flush=True)
        segno.make(url, error="m").terminal(compact=True)


def make_certificate(folder: Path, hosts: list[str]) -> tuple[Path, Path]:
    """A self-signed certificate for hosts (names or IP addresses) and its key, made once."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    if cert.is_file() and key.is_file():
        return cert, key
    folder.mkdir(parents=True, exist_ok=True)
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Massage trainer")])
    now = dt.datetime.now(dt.UTC)
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CERT_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(private, hashes.SHA256())
    )
    key.touch(mode=0o600)
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return cert, key


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "address":
        print(reached_at(sys.argv[2]))
        sys.exit()
    if len(sys.argv) < 3 or sys.argv[1] != "cert":
        sys.exit("usage: python -m trainer.ui.serving cert FOLDER [HOST ...] | address LISTEN")
    hosts = sys.argv[3:] or [lan_address(), "localhost", "127.0.0.1"]
    made = make_certificate(Path(sys.argv[2]), hosts)
    print(" ".join(str(p) for p in made))
