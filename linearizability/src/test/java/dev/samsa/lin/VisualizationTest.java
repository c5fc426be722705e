package dev.samsa.lin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.lin.models.KvModel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class VisualizationTest {

    @Test
    void thePageShowsThePrefixAndTheStuckOperationsEscapedAndSelfContained() throws Exception {
        String evil = "<script>alert(1)</script>";
        List<Operation<KvModel.Input, KvModel.Output>> h = List.of(
                new Operation<>(0, new KvModel.Input(KvModel.Op.PUT, "k", evil), 0, KvModel.Output.of(""), 10),
                new Operation<>(1, new KvModel.Input(KvModel.Op.GET, "k", ""), 20, KvModel.Output.of("nope"), 30));
        Linearizability.Verbose v = Linearizability.checkVerbose(new KvModel(), h, Duration.ZERO);
        assertThat(v.result()).isEqualTo(CheckResult.ILLEGAL);
        String html = Visualization.render("t<1>", v.result(), v.info());
        assertThat(html).contains("not linearizable").contains("stuck after 1 of 2 operations").contains("get(&#39;k&#39;) -&gt; &#39;nope&#39;");
        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;");
        Document doc = parse(html);
        for (String tag : List.of("script", "img", "link", "iframe")) {
            assertThat(doc.getElementsByTagName(tag).getLength()).isZero();
        }
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(2);
    }

    static Document parse(String html) throws Exception {
        String xml = html.replace("<!DOCTYPE html>", "").replaceAll("<meta ([^>]*[^/])>", "<meta $1/>");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
