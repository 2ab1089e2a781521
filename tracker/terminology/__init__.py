"""Terminology rules: words a decision or national guidance says are to be written otherwise.
Administrators manage them; every free-text form warns (without blocking) when text breaks one."""
