// placeholder until the CLI lands in this change
