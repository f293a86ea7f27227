package dev.denoise.android.maven;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A deliberately small manifest merger, enough for AndroidX libraries. Not AGP's
 * manifest-merger: no markers beyond {@code tools:node="remove"}, no selectors, no conflict
 * rules beyond "the app wins, the first library wins".
 *
 * <ul>
 *   <li>Under {@code <manifest>}: {@code uses-permission}, {@code uses-permission-sdk-23},
 *       {@code permission}, {@code uses-feature} and {@code queries} children are added once
 *       per {@code android:name}.</li>
 *   <li>Under {@code <application>}: components and {@code meta-data} are added once per
 *       {@code android:name}; a component declared again (androidx-startup's
 *       {@code InitializationProvider} is declared by several libraries) gets the other
 *       declaration's {@code meta-data} children merged in.</li>
 *   <li>{@code ${applicationId}} is replaced everywhere; {@code tools:*} attributes are dropped.</li>
 *   <li>A library whose {@code minSdkVersion} exceeds the app's fails the merge.</li>
 * </ul>
 */
final class ManifestMerge {
    static final String ANDROID_NS = "http://schemas.android.com/apk/res/android";
    static final String TOOLS_NS = "http://schemas.android.com/tools";

    private static final List<String> MANIFEST_CHILDREN =
            List.of("uses-permission", "uses-permission-sdk-23", "permission", "uses-feature");
    private static final List<String> APPLICATION_CHILDREN =
            List.of("activity", "activity-alias", "service", "receiver", "provider", "meta-data", "uses-library");

    private ManifestMerge() {
    }

    /** Merges, writes {@code out}, and returns each library's package name (for R classes). */
    static List<String> merge(Path app, List<Path> libraries, String applicationId, int minSdk, Path out)
            throws IOException {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            var builder = factory.newDocumentBuilder();
            Document doc = builder.parse(app.toFile());
            Element manifest = doc.getDocumentElement();
            manifest.setAttribute("package", applicationId);
            Element application = child(manifest, "application");
            if (application == null) {
                throw new IOException(app + ": no <application>");
            }
            List<String> packages = new ArrayList<>();
            for (Path libPath : libraries) {
                Element lib = builder.parse(libPath.toFile()).getDocumentElement();
                packages.add(lib.getAttribute("package"));
                Element usesSdk = child(lib, "uses-sdk");
                if (usesSdk != null && !usesSdk.getAttributeNS(ANDROID_NS, "minSdkVersion").isEmpty()) {
                    int libMin = Integer.parseInt(usesSdk.getAttributeNS(ANDROID_NS, "minSdkVersion"));
                    if (libMin > minSdk) {
                        throw new IOException(libPath + ": library minSdkVersion " + libMin + " > app minSdk " + minSdk);
                    }
                }
                mergeChildren(doc, manifest, lib, MANIFEST_CHILDREN);
                Element queries = child(lib, "queries");
                if (queries != null) {
                    manifest.appendChild(doc.importNode(queries, true));
                }
                Element libApp = child(lib, "application");
                if (libApp != null) {
                    mergeChildren(doc, application, libApp, APPLICATION_CHILDREN);
                }
            }
            cleanUp(manifest, applicationId);
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "no");
            t.transform(new DOMSource(doc), new StreamResult(out.toFile()));
            return packages;
        } catch (ParserConfigurationException | SAXException | TransformerException | NumberFormatException e) {
            throw new IOException("manifest merge: " + e.getMessage(), e);
        }
    }

    private static void mergeChildren(Document doc, Element into, Element from, List<String> tags) {
        Map<String, Element> existing = new LinkedHashMap<>();
        for (Node n = into.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tags.contains(e.getTagName())) {
                existing.put(e.getTagName() + "|" + e.getAttributeNS(ANDROID_NS, "name"), e);
            }
        }
        for (Node n = from.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e) || !tags.contains(e.getTagName())) {
                continue;
            }
            String key = e.getTagName() + "|" + e.getAttributeNS(ANDROID_NS, "name");
            Element have = existing.get(key);
            if (have == null) {
                Element copy = (Element) doc.importNode(e, true);
                into.appendChild(copy);
                existing.put(key, copy);
            } else {
                mergeChildren(doc, have, e, List.of("meta-data"));
            }
        }
    }

    /** Drops removed nodes and tools attributes; fills in the application id. */
    private static void cleanUp(Element e, String applicationId) {
        for (Node n = e.getFirstChild(); n != null; ) {
            Node next = n.getNextSibling();
            if (n instanceof Element c) {
                if ("remove".equals(c.getAttributeNS(TOOLS_NS, "node"))) {
                    e.removeChild(c);
                } else {
                    cleanUp(c, applicationId);
                }
            }
            n = next;
        }
        NamedNodeMap attrs = e.getAttributes();
        for (int i = attrs.getLength() - 1; i >= 0; i--) {
            Attr a = (Attr) attrs.item(i);
            if (TOOLS_NS.equals(a.getNamespaceURI())
                    || ("http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI()) && TOOLS_NS.equals(a.getValue()))) {
                e.removeAttributeNode(a);
            } else if (a.getValue().contains("${applicationId}")) {
                a.setValue(a.getValue().replace("${applicationId}", applicationId));
            }
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }
}
