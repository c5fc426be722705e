package dev.samsa.impl.group;

import dev.samsa.impl.node.Message;

/** Sends a parked request's response, unless the connection it came on has closed since. */
interface ResponseSink {
    void send(Responder to, Message response);
}
