package dev.samsa.harness.sim;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** Small nodes for kernel tests. */
final class TestNodes {

    private TestNodes() {}

    record Ping(int from, int n) implements Message {}

    record Tick(int n) implements Timer {}

    static Simulation sim(long seed) {
        return new Simulation(seed, Settings.defaults(), EnumSet.noneOf(dev.samsa.spec.bugs.Bug.class), TraceSink.NONE, false);
    }

    /** Records everything that happens to it. */
    static final class Recorder implements Node {
        final Context ctx;
        final List<String> log = new ArrayList<>();
        final List<Ping> received = new ArrayList<>();

        Recorder(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void onStart() {
            log.add("start");
        }

        @Override
        public void onMessage(int from, Message message) {
            received.add((Ping) message);
            log.add("msg " + from + " " + ((Ping) message).n());
        }

        @Override
        public void onTimer(Timer timer) {
            log.add("timer " + ((Tick) timer).n());
        }

        @Override
        public void onDisconnect(int peer) {
            log.add("disconnect " + peer);
        }
    }

    /** Sends a message to a random peer on every tick, forever: a busy random schedule. */
    static final class Chatter implements Node {
        final Context ctx;
        final List<Integer> peers;
        int sent;

        Chatter(Context ctx, List<Integer> peers) {
            this.ctx = ctx;
            this.peers = peers;
        }

        @Override
        public void onStart() {
            ctx.setTimer(ctx.random().nextLong(0, 1_000_000), new Tick(0));
        }

        @Override
        public void onMessage(int from, Message message) {
            if (ctx.random().chance(0.3)) {
                ctx.send(from, new Ping(ctx.nodeId(), sent++));
            }
        }

        @Override
        public void onTimer(Timer timer) {
            ctx.send(peers.get(ctx.random().nextInt(peers.size())), new Ping(ctx.nodeId(), sent++));
            if (ctx.random().chance(0.1)) {
                ctx.disk().append("log", sent, 8);
                if (ctx.random().chance(0.5)) {
                    ctx.disk().fsync("log");
                }
            }
            ctx.setTimer(ctx.random().nextLong(100_000, 2_000_000), new Tick(sent));
        }

        @Override
        public void onDisconnect(int peer) {}
    }
}
