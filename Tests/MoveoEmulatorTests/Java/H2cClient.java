// A Java backend's view of the emulator: JDK 17's built-in HttpClient with its defaults (HTTP/2 preferred, so every
// plain-HTTP request offers "Upgrade: h2c"). Creates a session on one connection, then sends a message on the same one.
// Run: java H2cClient.java BASE_URL TOKEN  — prints one line per call; exit 0 when both answer 201.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

public class H2cClient {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> session = client.send(post(base + "/v1/webchat/demo/sessions", "{\"identity_token\":\"" + token + "\"}"),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("session " + session.statusCode() + " " + session.version() + " " + session.body());
        String id = session.body().replaceAll(".*\"session_id\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> message = client.send(post(base + "/v1/webchat/sessions/" + id + "/messages", "{\"text\":\"hello from Java\"}"),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("message " + message.statusCode() + " " + message.version() + " " + message.body());
        System.exit(session.statusCode() == 201 && message.statusCode() == 201 ? 0 : 1);
    }

    static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
