"""Grading through a Redis job queue (arq): the client the bot and site use, and the worker
that `codestreak grader` runs next to a Docker engine.

Imports the sandbox and the queue's libraries only: a grader process holds Redis credentials and
its local engine, never the database, Discord or the site's secrets.
"""
