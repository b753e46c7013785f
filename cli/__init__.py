"""The `codestreak` command: wires core, sandbox, bot and site together."""
