package dev.samsa.impl.group;

import dev.samsa.impl.protocol.GroupMessage;

/** Sends a parked request's response, unless the connection it came on has closed since. */
interface ResponseSink {
    void send(Responder to, GroupMessage response);
}
