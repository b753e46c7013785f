"""Site accounts: registration, login, password reset, email change and Discord linking.

Everything here is independent of the web framework; the site and the bot call these functions.
"""
