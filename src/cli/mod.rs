//! Command-line front ends that need no display.
