"""Leaders' features, one module each: every module here that declares a `FEATURE` is in the registry."""
