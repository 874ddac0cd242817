package httpapi

// themeRoutes are the text analytics routes: themes, codeframe editing,
// feedback items.
func (s *server) themeRoutes() []route {
	return nil
}
