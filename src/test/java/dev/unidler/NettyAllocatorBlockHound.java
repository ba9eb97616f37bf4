package dev.unidler;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound, which every test JVM installs, fails any blocking call on an event loop.
 * Netty 4.2's default allocator takes a short write lock when a thread's magazine of
 * buffers is released or the shared ones are freed; under the load of two cores and many
 * connections that lock is sometimes contended and parks, and BlockHound's error then cut
 * a response short after its headers (the test saw a page's headers and never its body).
 * Netty's own BlockHound rules allow the equivalent locks of its older pooled allocator.
 */
public final class NettyAllocatorBlockHound implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free");
	}

}
