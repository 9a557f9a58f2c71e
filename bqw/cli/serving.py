"""`bqw serve`: the web service on a workspace, and its credentials (links, revoke, passwd). docs/serve.md.

The only module that imports bqw.web; starlette, uvicorn and argon2 are imported inside the commands, so
`bqw --help` stays fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from bqw.cli.common import workspace
from bqw.cli.options import AsOfOpt, check_date, usage_error

GROUP = typer.Typer(invoke_without_command=True, no_args_is_help=False, add_completion=False,
                    rich_markup_mode=None, options_metavar="[选项]", subcommand_metavar="[命令]",
                    context_settings={"help_option_names": ["-h", "--help"]})


@GROUP.callback()
def serve_cmd(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="监听的地址；默认只在本机（127.0.0.1），放在 nginx 之后")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="监听的端口")] = 8765,
    as_of: AsOfOpt = None,
):
    """启动网上报送服务：各单位、各位镇领导用自己的链接上传台账、当场看到校验结果并报送；办公室登录后查看报送情况。

    与 bqw run 使用同一个工作区和归档。先用 bqw serve passwd 设置办公室密码，用 bqw serve links 生成报送链接。
    部署（systemd、nginx）见 docs/serve.md。

    示例：

      bqw serve

      bqw -w /data/平安镇百千万 serve --host 127.0.0.1 --port 8765
    """
    if ctx.invoked_subcommand is not None:
        return
    cfg = workspace(ctx)
    day = check_date(as_of, "--as-of")
    import uvicorn

    from bqw.web.app import create_app
    from bqw.web.auth import Credentials

    if not Credentials(cfg.root).has_password():
        typer.echo("提示：办公室密码尚未设置，办公室页面暂时无法登录（运行 bqw serve passwd 设置）", err=True)
    typer.echo(f"网上报送服务：http://{host}:{port}/ （工作区 {cfg.root}；按 Ctrl+C 停止）", err=True)
    uvicorn.run(create_app(cfg, as_of=day), host=host, port=port, log_level="warning",
                proxy_headers=True, forwarded_allow_ips="127.0.0.1")


@GROUP.command("links")
def links_cmd(
    ctx: typer.Context,
    base_url: Annotated[str, typer.Option("--base-url", metavar="URL",
                                          help="报送链接的开头，即用户访问服务的地址，如 https://bqw.平安镇.gov.cn")]
    = "http://127.0.0.1:8765",
    renew: Annotated[bool, typer.Option("--renew", help="为所有人重新生成链接（旧链接全部失效）")] = False,
    name: Annotated[Optional[str], typer.Option("--name", metavar="姓名或单位", help="只为这一人（单位）生成")] = None,
):
    """列出每位报送人（挂点安排表中的镇领导、成员名单中的单位、有未完成任务的单位）的报送链接。

    链接中的令牌只显示这一次，服务器只保存其摘要：还没有链接的人生成新链接；已有链接的人显示“已发放”，
    需要重发时加 --renew（或 --name 指定一人），旧链接随即失效。
    """
    from bqw.web.auth import Credentials
    from bqw.web.service import ROLE_ZH, submitters

    cfg = workspace(ctx)
    people = submitters(cfg)
    if name is not None:
        people = [p for p in people if p.name == name]
        if not people:
            raise usage_error(f"“{name}”不在报送人名单中（名单来自挂点安排表、成员名单和归档中有未完成任务的单位）")
    if not people:
        raise usage_error("没有找到报送人：请把挂点安排表、成员名单放进工作区的 名单/ 文件夹（或在 bqw.toml 中设置）")
    credentials = Credentials(cfg.root)
    have = credentials.tokens()
    base = base_url.rstrip("/")
    for p in people:
        old = have.get(p.name)
        if old is None or old.revoked or renew or name is not None:
            typer.echo(f"{p.name}\t{ROLE_ZH[p.role]}\t{base}/u/{credentials.issue(p.name)}")
        else:
            typer.echo(f"{p.name}\t{ROLE_ZH[p.role]}\t已发放（{old.issued_at[:10]}），重发加 --renew 或 --name {p.name}")


@GROUP.command("revoke")
def revoke_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="姓名或单位", help="停用谁的报送链接")],
):
    """停用一位报送人的链接（立即生效）；需要时用 bqw serve links --name 姓名 发新链接。"""
    from bqw.web.auth import Credentials

    cfg = workspace(ctx)
    if not Credentials(cfg.root).revoke(name):
        raise usage_error(f"“{name}”没有发放过报送链接")
    typer.echo(f"已停用 {name} 的报送链接。")


@GROUP.command("passwd")
def passwd_cmd(ctx: typer.Context):
    """设置（或修改）办公室登录密码：输入两次，不显示在屏幕上；只保存 argon2 摘要。"""
    from bqw.web.auth import Credentials

    cfg = workspace(ctx)
    first = typer.prompt("新密码", hide_input=True)
    if len(first) < 8:
        raise usage_error("密码至少 8 个字符")
    if typer.prompt("再输入一次", hide_input=True) != first:
        raise usage_error("两次输入的密码不一致，密码未修改")
    Credentials(cfg.root).set_password(first)
    typer.echo(f"办公室密码已设置（保存在 {cfg.root / 'serve.db'}）。")


__all__ = ["GROUP"]
