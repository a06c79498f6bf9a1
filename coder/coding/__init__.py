"""The coding engine: applying codes to spans, retrieving quotes, codings in and out as CSV."""
