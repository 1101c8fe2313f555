"""The Neo4j backend (official driver) and its Browser style."""
