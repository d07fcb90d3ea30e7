"""Monthly PDF summaries for clients (issue #8): build, archive, download."""
