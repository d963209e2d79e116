"""mobile-agent as an MCP server (`mobile-agent mcp`): phones observed and driven, tasks
and shortcuts run, by any MCP client, every action through the safety gate.

The SDK is the `mcp` extra (`pip install 'mobile-agent[mcp]'`); `mobile_agent.mcp.server`
imports it, `mobile_agent.mcp.phones` (the tools' work) does not.
"""
