"""Writers: each turns the site model into one kind of output file."""
