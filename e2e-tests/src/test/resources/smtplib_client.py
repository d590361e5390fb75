#!/usr/bin/env python3
"""Kanmon e2e driver around Python's smtplib (a real client nobody here wrote).

Prints every server reply as 'S: <code> <text>' lines (multi-line replies as 'S: <code>-...'),
so the Java test reads the exact codes. Exit 0 when the whole transaction was accepted.

usage: smtplib_client.py --mode starttls|ssl --host H --port P --cafile CA
                         [--user U --password PW|TOKEN --mech PLAIN|LOGIN|CRAM-MD5|XOAUTH2]
                         --mail-from A --rcpt B --message FILE
"""
import argparse
import smtplib
import ssl
import sys


def show(code, msg):
    text = msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg)
    lines = text.split("\n") or [""]
    for i, line in enumerate(lines):
        sep = " " if i == len(lines) - 1 else "-"
        print(f"S: {code}{sep}{line}")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["starttls", "ssl", "plain"], required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cafile", required=True)
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--mech", default="PLAIN")
    p.add_argument("--mail-from", required=True)
    p.add_argument("--rcpt", required=True)
    p.add_argument("--message", required=True)
    a = p.parse_args()

    ctx = ssl.create_default_context(cafile=a.cafile)
    if a.mode == "ssl":
        s = smtplib.SMTP_SSL(a.host, a.port, local_hostname="client.e2e.test", context=ctx, timeout=30)
    else:
        s = smtplib.SMTP(a.host, a.port, local_hostname="client.e2e.test", timeout=30)
    try:
        show(*s.ehlo())
        if a.mode == "starttls":
            show(*s.starttls(context=ctx))
            show(*s.ehlo())
        if a.user:
            # Choose the mechanism explicitly: smtplib.login() would pick CRAM-MD5 when offered.
            s.user, s.password = a.user, a.password
            mech = a.mech.upper()
            # XOAUTH2 as Google's and Microsoft's documentation drive smtplib: the password is the access token.
            xoauth2 = lambda challenge=None: f"user={a.user}\x01auth=Bearer {a.password}\x01\x01"
            authobject = {"PLAIN": s.auth_plain, "LOGIN": s.auth_login, "CRAM-MD5": s.auth_cram_md5,
                          "XOAUTH2": xoauth2}[mech]
            try:
                # CRAM-MD5 has no initial response: the server's challenge comes first.
                show(*s.auth(mech, authobject, initial_response_ok=(mech != "CRAM-MD5")))
            except smtplib.SMTPAuthenticationError as e:
                show(e.smtp_code, e.smtp_error)
                return 1
        code, msg = s.mail(a.mail_from)
        show(code, msg)
        if code != 250:
            return 1
        code, msg = s.rcpt(a.rcpt)
        show(code, msg)
        if code not in (250, 251):
            return 1
        with open(a.message, "rb") as f:
            data = f.read()
        code, msg = s.data(data)
        show(code, msg)
        return 0 if code == 250 else 1
    except smtplib.SMTPResponseException as e:
        show(e.smtp_code, e.smtp_error)
        return 1
    finally:
        try:
            s.quit()
        except Exception:
            pass


if __name__ == "__main__":
    sys.exit(main())
