"""A small OpenID Connect provider (django-oauth-toolkit) for the tests of the portal's sign-in
through the region's identity provider. It runs as a separate process with its own settings and
SQLite file (`serve.py`), reached by the portal only through its discovery document.

Its sign-in page is a plain form that signs in any user name given, with the e-mail, whether
the e-mail is verified, and the `amr`/`acr` the tokens will carry: each test says whom the
provider vouches for and how."""
