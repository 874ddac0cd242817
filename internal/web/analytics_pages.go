package web

// analyticsPageRoutes are the dashboard's analysis pages.
func (s *Server) analyticsPageRoutes() []page {
	return nil
}
