package dev.samsa.impl.group;

/**
 * Where a parked response goes: the client node, the request's correlation id, and the
 * generation of the connection it came on (a response for a closed connection is dropped, as
 * Kafka's network layer drops it).
 */
record Responder(int client, long correlationId, long connection) {}
