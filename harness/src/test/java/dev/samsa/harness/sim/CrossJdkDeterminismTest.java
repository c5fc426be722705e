package dev.samsa.harness.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One seed must give the same trace hash on every JVM. This runs the same seeds in a child
 * process on the other JDK of this machine (Temurin 25 beside the default 17, or whichever the
 * test is not running on) and compares hashes with this JVM's.
 */
class CrossJdkDeterminismTest {

    static final long[] SEEDS = {0, 1, 2, 42, 1234567, -99};

    /** Entry point of the child JVM: prints one hash per seed. */
    public static void main(String[] args) {
        for (String a : args) {
            System.out.println(a + " " + Long.toHexString(hashFor(Long.parseLong(a))));
        }
    }

    /** The hashes under test; a workload's seeds join the kernel's chatter here. */
    static long hashFor(long seed) {
        return DeterminismTest.hashOf(seed) ^ Long.rotateLeft(WorkloadHashes.hashOf(seed), 1);
    }

    static Path otherJdk() {
        String here = System.getProperty("java.home");
        List<Path> candidates = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/usr/lib/jvm"))) {
            dirs.forEach(candidates::add);
        } catch (IOException e) {
            return null;
        }
        candidates.sort(null);
        for (Path p : candidates) {
            Path java = p.resolve("bin/java");
            if (Files.isExecutable(java) && !p.toAbsolutePath().normalize().equals(Path.of(here).toAbsolutePath().normalize())
                    && !Files.isSymbolicLink(p) && Runtime.version().feature() != featureOf(java)) {
                return java;
            }
        }
        return null;
    }

    private static int featureOf(Path java) {
        try {
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("version \"(\\d+)").matcher(out);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void theSameSeedsGiveTheSameHashesOnAnotherJdk() throws Exception {
        Path other = otherJdk();
        assumeTrue(other != null, "no second JDK under /usr/lib/jvm");
        List<String> cmd = new ArrayList<>(List.of(other.toString(), "-cp", System.getProperty("java.class.path"), CrossJdkDeterminismTest.class.getName()));
        StringBuilder expected = new StringBuilder();
        for (long s : SEEDS) {
            cmd.add(Long.toString(s));
            expected.append(s).append(' ').append(Long.toHexString(hashFor(s))).append('\n');
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("hashes printed by " + other).isEqualTo(expected.toString());
    }
}
