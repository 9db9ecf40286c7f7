# (tests to come)
