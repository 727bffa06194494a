"""Demo data set: a few enterprises in Yantai and Mianyang with every record kind."""
