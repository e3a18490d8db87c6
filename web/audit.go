package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gongkai-project/gongkai/store"
)

// auditLimit is how many audit lines the staff page shows.
const auditLimit = 200

// auditView is the staff page of purges and lifts.
type auditView struct {
	Entries        []store.AuditEntry
	Notice, Error  string
	Target, Reason string // the form's values after an error
}

// handleAudit lists the latest purges (gongkai purge, the form) and lifts:
// who, when, which document and why.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	v := auditView{}
	if id := r.URL.Query().Get("purged"); id != "" {
		v.Notice = "已永久撤下 " + id + "：页面和接口立即返回“该信息已撤下”，检索在几秒内不再找到它"
	}
	s.renderAudit(w, r, http.StatusOK, v)
}

func (s *Server) renderAudit(w http.ResponseWriter, r *http.Request, status int, v auditView) {
	var err error
	if v.Entries, err = s.st.AuditLog(r.Context(), auditLimit, store.AuditPurge, store.AuditLift); err != nil {
		s.serverError(w, r, "audit log", err)
		return
	}
	s.render(w, r, status, "audit.html", "撤下记录", v)
}

// handlePurge purges the document a staff member names (id or URL) with
// the reason given, as gongkai purge does; the running server's index
// follows the store within seconds. Leaders are refused (editor).
func (s *Server) handlePurge(w http.ResponseWriter, r *http.Request) {
	target := strings.TrimSpace(r.PostFormValue("target"))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	user := sessionOf(r).User
	fail := func(msg string) {
		s.renderAudit(w, r, http.StatusBadRequest, auditView{Error: msg, Target: target, Reason: reason})
	}
	switch {
	case target == "":
		fail("请填写信息的编号或网址")
		return
	case reason == "":
		fail("请填写撤下原因（记入撤下记录）")
		return
	}
	p, err := s.st.Purge(r.Context(), target, user, reason)
	if errors.Is(err, store.ErrNotFound) {
		fail("没有编号或网址为“" + target + "”的信息")
		return
	}
	if err != nil {
		s.serverError(w, r, "purge "+target, err)
		return
	}
	s.log.Info("document purged", "user", user, "id", p.ID, "reason", reason, "attachments", p.Attachments, "files", len(p.Files))
	http.Redirect(w, r, "/staff/audit?purged="+url.QueryEscape(p.ID), http.StatusSeeOther)
}

// auditActionLabel names an audit action for staff.
func auditActionLabel(action string) string {
	switch action {
	case store.AuditPurge:
		return "永久撤下"
	case store.AuditLift:
		return "解除撤下"
	case store.AuditPin:
		return "置顶"
	case store.AuditUnpin:
		return "取消置顶"
	case store.AuditTopicAdd:
		return "添加常问"
	case store.AuditTopicRemove:
		return "删除常问"
	}
	return action
}
