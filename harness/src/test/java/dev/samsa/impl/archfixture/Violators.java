package dev.samsa.impl.archfixture;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Classes that break the impl rules on purpose, in a package under dev.samsa.impl, so the
 * architecture test can show each rule fires. Test code only: never on the production path.
 */
@SuppressWarnings("unused")
public final class Violators {

    private Violators() {}

    public static final class StartsAThread {
        void go() {
            new Thread(() -> {}).start();
        }
    }

    public static final class UsesAnExecutor {
        void go() {
            java.util.concurrent.Executors.newSingleThreadExecutor().shutdown();
        }
    }

    public static final class ReadsCurrentTimeMillis {
        long go() {
            return System.currentTimeMillis();
        }
    }

    public static final class ReadsNanoTime {
        long go() {
            return System.nanoTime();
        }
    }

    public static final class ReadsInstantNow {
        Object go() {
            return java.time.Instant.now();
        }
    }

    public static final class ReadsSystemClock {
        Object go() {
            return java.time.Clock.systemUTC();
        }
    }

    public static final class UsesJavaUtilRandom {
        int go() {
            return new java.util.Random(1).nextInt();
        }
    }

    public static final class UsesThreadLocalRandom {
        int go() {
            return java.util.concurrent.ThreadLocalRandom.current().nextInt();
        }
    }

    public static final class UsesMathRandom {
        double go() {
            return Math.random();
        }
    }

    public static final class UsesRandomUuid {
        Object go() {
            return java.util.UUID.randomUUID();
        }
    }

    public static final class ReadsAFile {
        Object go() throws java.io.IOException {
            return java.nio.file.Files.readAllBytes(java.nio.file.Path.of("x"));
        }
    }

    public static final class OpensASocket {
        Object go() throws java.io.IOException {
            return new java.net.Socket();
        }
    }

    public static final class PrintsToStdout {
        void go() {
            System.out.println("hello");
        }
    }

    public static final class UsesHashMap {
        Object go() {
            return new java.util.HashMap<String, String>();
        }
    }

    public static final class UsesHashSet {
        Object go() {
            return new java.util.HashSet<String>();
        }
    }

    public static final class UsesSetOf {
        Object go() {
            return Set.of("a", "b");
        }
    }

    public static final class CollectsToSet {
        Object go(List<String> in) {
            return in.stream().collect(Collectors.toSet());
        }
    }

    public static final class ReachesIntoHarness {
        Object go() {
            return dev.samsa.harness.sim.Role.BROKER;
        }
    }

    /** Deterministic and sans-IO: passes every impl rule. */
    public static final class Clean {
        Object go(List<String> in) {
            TreeMap<String, Integer> m = new TreeMap<>();
            for (String s : in) {
                m.merge(s, 1, Integer::sum);
            }
            return new ArrayList<>(m.keySet());
        }
    }
}
