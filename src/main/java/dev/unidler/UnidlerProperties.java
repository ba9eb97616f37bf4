package dev.unidler;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything an operator can tune, bound from the environment with Spring's relaxed
 * binding ({@code unidler.wake.deadline} is {@code UNIDLER_WAKE_DEADLINE}). Defaults are
 * those of the existing Analytical Platform idler so the unidler is a drop-in
 * replacement.
 *
 * @param labels the labels that find an app and mark it idled
 * @param annotations the annotations the idler leaves on an idled app
 * @param wake how long and how a wake waits
 * @param service how an idled Service is restored when the idler saved no spec
 * @param events the Server-Sent Events stream
 * @param page branding of the waiting page
 * @param wakePolicy which requests do not wake an app, and how many lookups a client may
 * cause
 * @param shutdown how the instance leaves service
 * @param tenancy which namespace owns a host that apps in several namespaces claim
 * @param namespaces the namespaces apps live in, when the unidler may look only there (a
 * Role in each instead of a ClusterRole); empty: every namespace
 * @param kubeconfig a kubeconfig file to use instead of the usual search (in-cluster,
 * {@code $KUBECONFIG}, {@code ~/.kube/config})
 */
@ConfigurationProperties("unidler")
public record UnidlerProperties(@DefaultValue Labels labels, @DefaultValue Annotations annotations,
		@DefaultValue Wake wake, @DefaultValue Service service, @DefaultValue Events events, @DefaultValue Page page,
		@Nullable String kubeconfig, @DefaultValue WakePolicy wakePolicy, @DefaultValue Shutdown shutdown,
		@DefaultValue Tenancy tenancy, @DefaultValue List<String> namespaces) {

	/**
	 * @param lookup label key carried by an app's Deployment and Service; {@code host}
	 * (the value is the request host) or {@code unidle-key} (the value is the host's
	 * first DNS label); any other key is matched against the host. Also set by
	 * {@code UNIDLE_KEY_LABEL}.
	 * @param idled label whose presence marks a Deployment idled
	 */
	public record Labels(@DefaultValue("host") String lookup, @DefaultValue("mojanalytics.xyz/idled") String idled) {

	}

	/**
	 * @param idledAt when the app was idled; the legacy form
	 * {@code "<timestamp>,<replicas>"} also carries the replica count
	 * @param replicas replica count to restore
	 * @param serviceSpec the Service spec saved by the idle operation, restored as is
	 */
	public record Annotations(@DefaultValue("mojanalytics.xyz/idled-at") String idledAt,
			@DefaultValue("mojanalytics.xyz/replicas-when-unidled") String replicas,
			@DefaultValue("unidler.dev/service-spec") String serviceSpec) {

	}

	/**
	 * @param deadline the longest a wake may take before it fails
	 * @param recheck how often the state is read again while waiting, in case a watch
	 * event was lost
	 * @param minAvailable available replicas (capped at the desired count) that make the
	 * app count as up
	 * @param unschedulableGrace how long pods may stay unschedulable before the wake
	 * gives up, so that a cluster autoscaler gets a chance to add a node
	 * @param apiBackoff the first pause before a read or write that Kubernetes did not
	 * answer is tried again; it doubles (with jitter) on every further failure
	 * @param apiBackoffMax the longest pause between two tries, so that a wake notices
	 * soon when the API server is back
	 */
	public record Wake(@DefaultValue("5m") Duration deadline, @DefaultValue("5s") Duration recheck,
			@DefaultValue("1") int minAvailable, @DefaultValue("30s") Duration unschedulableGrace,
			@DefaultValue("250ms") Duration apiBackoff, @DefaultValue("5s") Duration apiBackoffMax) {

	}

	/**
	 * The Service an app gets back when the idler saved no spec of its own.
	 *
	 * @param type the restored Service type
	 * @param selectorLabel the pods are selected by this label, with the value the
	 * Service itself carries for it
	 * @param port the Service port
	 * @param targetPort the container port, a number or a port name
	 * @param unidlerNames the {@code externalName}s that mean "points at the unidler":
	 * only a Service of type {@code ExternalName} with one of these is ever repointed.
	 * The defaults are the old idler's name and the one {@code deploy/} installs.
	 */
	public record Service(@DefaultValue("ClusterIP") String type, @DefaultValue("app") String selectorLabel,
			@DefaultValue("80") int port, @DefaultValue("3000") String targetPort, @DefaultValue( {
					"unidler.default.svc.cluster.local",
					"unidler.unidler.svc.cluster.local" }) List<String> unidlerNames,
			@DefaultValue("unidler.unidler.svc.cluster.local") String idledName){

	}

	/**
	 * @param heartbeat the longest silence on a stream before a comment keeps proxies
	 * from closing it
	 * @param retry how long a browser waits before it reconnects a dropped stream
	 */
	public record Events(@DefaultValue("15s") Duration heartbeat, @DefaultValue("2s") Duration retry) {

	}

	/**
	 * @param productName shown in the title and footer of the waiting page
	 * @param logoUrl optional logo shown above the heading
	 * @param supportUrl optional link offered when a wake fails
	 */
	public record Page(@DefaultValue("unidler") String productName, @Nullable String logoUrl,
			@Nullable String supportUrl) {

	}

	/**
	 * Requests that are answered without waking the app, so that crawlers, monitors, link
	 * previews and prefetching browsers do not keep idled apps awake; and the budget of
	 * lookups a client may cause for hosts this instance has not seen.
	 *
	 * @param methods request methods that never wake an app
	 * @param paths paths that never wake an app; {@code /robots.txt} is answered
	 * {@code Disallow: /}, any other listed path {@code 404}
	 * @param userAgents case-insensitive parts of a {@code User-Agent} that never wakes
	 * an app (crawlers, uptime checkers, chat link previews)
	 * @param prefetch whether prefetch and prerender requests ({@code Sec-Purpose},
	 * {@code Purpose}, {@code X-Moz}, {@code X-Purpose}) are answered without a wake
	 */
	// @formatter:off (the formatter breaks array defaults in a record header apart)
	public record WakePolicy(
			@DefaultValue({ "HEAD", "OPTIONS", "TRACE" }) List<String> methods,
			@DefaultValue({ "/robots.txt", "/favicon.ico", "/apple-touch-icon.png",
					"/apple-touch-icon-precomposed.png" }) List<String> paths,
			@DefaultValue({ "googlebot", "bingbot", "applebot", "duckduckbot", "yandexbot", "baiduspider",
					"slackbot", "facebookexternalhit", "twitterbot", "linkedinbot", "discordbot", "telegrambot",
					"whatsapp", "skypeuripreview", "mastodon", "uptimerobot", "pingdom", "statuscake", "site24x7",
					"googlestackdrivermonitoring", "datadog", "newrelicpinger", "betteruptime" })
			List<String> userAgents,
			@DefaultValue("true") boolean prefetch) {
	// @formatter:on

	}

	/**
	 * @param drain how long, after {@code SIGTERM}, the instance keeps serving with
	 * {@code /healthz} answering {@code 503} before it stops taking connections, so that
	 * Services and ingresses stop sending it requests first
	 */
	public record Shutdown(@DefaultValue("5s") Duration drain) {

	}

	/**
	 * Who owns a host when apps in several namespaces carry its lookup label.
	 *
	 * @param hostNamespaces {@code <host suffix>=<namespace>} pairs: a host equal to the
	 * suffix or ending in {@code .<suffix>} belongs to that namespace alone (the longest
	 * suffix wins), whatever else claims it. Hosts no pair covers belong to the namespace
	 * whose Ingress claims them first.
	 */
	public record Tenancy(@DefaultValue List<String> hostNamespaces) {

	}

}
