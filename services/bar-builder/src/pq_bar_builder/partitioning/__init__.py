"""The internal partitioned copy of PQ_QUOTES and one durable pull consumer per partition."""
